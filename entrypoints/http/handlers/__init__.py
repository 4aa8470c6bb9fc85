"""Thin Tornado handlers: read the input, call one facade method, render the seed's shape."""
