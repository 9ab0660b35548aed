"""Translation engines: each turns a batch of segments in one language into another."""
