"""Outbound: an OAuth 2.0 consent server and the FDX API over the instance's data, on every instance.

Flinks serves Outbound from a host of its own; an instance serves it under ``/outbound``."""
