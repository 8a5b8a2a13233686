"""Data access of the network: graph loading, the data revision, stored figures and positions."""
