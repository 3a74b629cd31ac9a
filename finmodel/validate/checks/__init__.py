"""The validation rules, one module per idea; each is a ``check.Check`` listed in ``registry``."""
