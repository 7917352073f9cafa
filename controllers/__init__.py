from . import portal
from . import exchange
