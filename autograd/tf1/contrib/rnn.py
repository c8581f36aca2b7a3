"""tf.contrib.rnn: the RNN cells and static_rnn, as TF1 tutorials import them
(`from tensorflow.contrib import rnn; rnn.BasicLSTMCell(n); rnn.static_rnn(...)`)."""
from nn.rnn import (BasicLSTMCell, BasicRNNCell, DropoutWrapper, GRUCell,  # noqa: F401
                    LayerNormBasicLSTMCell, LSTMCell, LSTMStateTuple, MultiRNNCell, RNNCell,
                    static_bidirectional_rnn, static_rnn)
