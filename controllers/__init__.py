from . import portal
from . import exchange
from . import participant_portal
from . import participant_appointments
