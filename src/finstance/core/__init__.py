"""The instance core: identity, context, clock, errors, store, jobs and worker, rate limits, webhook outbox,
the HTTP face and the product declaration. It imports no product.

Its pure modules (``country``, ``identifiers``, ``instance``, ``keys``, ``wire``) need only the
standard library and pydantic, so the SDK shares them; importing this package loads nothing else.
"""
