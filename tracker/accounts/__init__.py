"""Users, roles, login and its throttle; who may do what (permissions.py)."""
