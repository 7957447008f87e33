"""The sandbox bank "Flinks Capital": scenario users, synthetic data and the institution catalogue."""
