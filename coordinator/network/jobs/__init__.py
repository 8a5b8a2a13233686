"""The jobs of the network: the task queue and the job that keeps stored figures fresh."""
