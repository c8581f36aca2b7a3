# TF r1.x's "Predict house prices: regression" in tf.keras, on a generated data set of
# the same shape (13 features): features normalized with the training statistics, a
# Sequential of two ReLU layers, mse with mae as a metric, RMSprop, EarlyStopping on the
# validation loss, and the overfit-and-underfit lesson's L2 and dropout on the same net.
# parity: within 0.2 (Keras initializes with each framework's own generator: three runs on
# TF 2.21's tf_keras gave test MAE 1.60-1.75 and plain validation loss 3.81-4.30, here
# 1.59-1.76 and 3.77-4.30; also checked: MAE < 2.5 on targets with noise 1.0)
import numpy as np
import autograd.tf1 as tf
keras = tf.keras

rng = np.random.RandomState(5)
x = rng.rand(500, 13) * [100, 25, 25, 1, 1, 8, 100, 10, 24, 700, 22, 400, 35]
weights = rng.randn(13)
y = (x - x.mean(0)) / x.std(0) @ weights + 22 + rng.randn(500)
train_data, test_data, train_labels, test_labels = x[:400], x[400:], y[:400], y[400:]
mean, std = train_data.mean(axis=0), train_data.std(axis=0)
train_data, test_data = (train_data - mean) / std, (test_data - mean) / std


def build_model(regularized=False):
    extra = {"kernel_regularizer": keras.regularizers.l2(0.001)} if regularized else {}
    layers = [keras.layers.Dense(64, activation=tf.nn.relu, input_shape=(13,), **extra),
              keras.layers.Dense(64, activation=tf.nn.relu, **extra)]
    if regularized:
        layers.insert(1, keras.layers.Dropout(0.2))
    model = keras.Sequential(layers + [keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer=keras.optimizers.RMSprop(0.001), metrics=["mae"])
    return model


np.random.seed(5)
model = build_model()
model.summary()
early_stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=20)
history = model.fit(train_data, train_labels, epochs=200, validation_split=0.2, verbose=0,
                    callbacks=[early_stop])
[loss, mae] = model.evaluate(test_data, test_labels, verbose=0)
print("epochs run:", len(history.epoch), "Testing set Mean Abs Error: %.2f" % mae)
regularized = build_model(regularized=True)
regularized_history = regularized.fit(train_data, train_labels, epochs=len(history.epoch),
                                      validation_split=0.2, verbose=0)
plain_val = history.history["val_loss"][-1]
regularized_val = regularized_history.history["val_loss"][-1]
print("validation loss: plain %.2f, L2 + dropout %.2f" % (plain_val, regularized_val))
predictions = model.predict(test_data).flatten()
assert mae < 2.5 and regularized_val < 2 * plain_val + 1.0 and predictions.shape == (100,)
print("result", mae, plain_val)
