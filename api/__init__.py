"""HTTP API (Flask app factory, blueprints, schemas, error mapping) and the ``healthsearch`` CLI.

The only package importing Flask.
"""
