"""Business logic of one instance: routes parse, call a service, serialize."""
