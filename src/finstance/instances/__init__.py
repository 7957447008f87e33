"""The instances of a data directory: the directory itself, the serving modes, and the residency audit."""
