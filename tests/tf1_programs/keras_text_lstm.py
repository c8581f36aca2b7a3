# Text classification with tf.keras as the TF r1.x text tutorial and the LSTM examples do,
# on a generated corpus (two topics): pad_sequences, Embedding +
# GlobalAveragePooling1D, then the same with an LSTM, binary_crossentropy and accuracy;
# the functional API with a Concatenate of both paths.
# parity: within 0.05 (Keras initializes with each framework's own generator; each model
# reaches validation accuracy 1.0 on TF 2.21's tf_keras and here; checked: > 0.9)
import numpy as np
import autograd.tf1 as tf
keras = tf.keras

rng = np.random.RandomState(6)
vocab_size, length = 50, 12
topic_words = [np.arange(2, 20), np.arange(20, 38)]
sequences, labels = [], []
for _ in range(600):
    topic = rng.randint(2)
    # 70% words of the topic, the rest shared by both
    sequences.append([rng.choice(topic_words[topic]) if rng.rand() < 0.7
                      else rng.randint(38, vocab_size) for _ in range(rng.randint(4, 15))])
    labels.append(topic)
data = keras.preprocessing.sequence.pad_sequences(sequences, maxlen=length, padding="post")
labels = np.array(labels)
x_train, y_train, x_val, y_val = data[:500], labels[:500], data[500:], labels[500:]

np.random.seed(6)
bag = keras.Sequential([keras.layers.Embedding(vocab_size, 16, input_length=length),
                        keras.layers.GlobalAveragePooling1D(),
                        keras.layers.Dense(16, activation=tf.nn.relu),
                        keras.layers.Dense(1, activation=tf.nn.sigmoid)])
bag.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
bag.fit(x_train, y_train, epochs=15, batch_size=50, verbose=0)
bag_acc = bag.evaluate(x_val, y_val, verbose=0)[1]

recurrent = keras.Sequential([keras.layers.Embedding(vocab_size, 16, input_length=length),
                              keras.layers.LSTM(16),
                              keras.layers.Dense(1, activation="sigmoid")])
recurrent.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
recurrent.fit(x_train, y_train, epochs=15, batch_size=50, verbose=0)
lstm_acc = recurrent.evaluate(x_val, y_val, verbose=0)[1]

words = keras.Input(shape=(length,), dtype="int32")
embedded = keras.layers.Embedding(vocab_size, 8)(words)
both = keras.layers.concatenate([keras.layers.GlobalAveragePooling1D()(embedded),
                                 keras.layers.GlobalMaxPooling1D()(embedded)])
joined = keras.Model(words, keras.layers.Dense(1, activation="sigmoid")(both))
joined.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
joined.fit(x_train, y_train, epochs=15, batch_size=50, verbose=0)
joined_acc = joined.evaluate(x_val, y_val, verbose=0)[1]
print("validation accuracy: bag of words %.3f, LSTM %.3f, joined %.3f"
      % (bag_acc, lstm_acc, joined_acc))
assert min(bag_acc, lstm_acc, joined_acc) > 0.9
print("result", bag_acc, lstm_acc, joined_acc)
