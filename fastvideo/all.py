"Everything fastvideo exports, with fastai's vision API: `from fastvideo.all import *`"
from fastai.vision.all import *
from .data.synthetic import *
from .data.read import *
from .data.core import *
from .layers import *
from .models.encoders import *
from .models.simple import *
from .models.rnn import *
from .models.timesformer import *
from .models.cnn3d import *
from .learner import *
