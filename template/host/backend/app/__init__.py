"""VECTRA backend."""
