"Everything fastvideo exports, with fastai's vision API: `from fastvideo.all import *`"
from fastai.vision.all import *
from .data.synthetic import *
from .data.read import *
from .data.splits import *
from .data.core import *
from .data.external import *
from .data.frames import *
from .data.ucf101 import *
from .layers import *
from .models.encoders import *
from .models.simple import *
from .models.rnn import *
from .models.timesformer import *
from .models.cnn3d import *
from .learner import *
