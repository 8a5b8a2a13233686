"""The start page: headline figures of the network for every role."""
