"""Domain events other apps subscribe to. A case never knows who pays it."""

from django.dispatch import Signal

# Sent on commit of a registration: kwargs application_id, registration_id, route_code,
# jurisdiction_code, registered_on (date).
application_registered = Signal()
