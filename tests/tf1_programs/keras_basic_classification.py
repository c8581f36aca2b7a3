# TF r1.x's "Train your first neural network: basic classification" in tf.keras, on the
# bundled MNIST digits: Sequential, compile with names, fit with validation_split and
# callbacks, evaluate, predict, save and load weights, and a functional model sharing
# the trained layers.
# parity: none (Keras initializes with each framework's own generator, and TF's
# load_data downloads; checked here: test accuracy > 0.87 after two epochs on 6000
# images, where TF 2.21's tf_keras gave 0.893 and 0.898 and this engine 0.888-0.892)
import numpy as np
import autograd.tf1 as tf
keras = tf.keras

np.random.seed(0)
(train_images, train_labels), (test_images, test_labels) = keras.datasets.mnist.load_data()
train_images, train_labels = train_images[:6000] / 255.0, train_labels[:6000]
test_images, test_labels = test_images[:1000] / 255.0, test_labels[:1000]

model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(128, activation=tf.nn.relu),
    keras.layers.Dropout(0.2),
    keras.layers.Dense(10, activation=tf.nn.softmax)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
model.summary()
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2,
                                     restore_best_weights=True)
history = model.fit(train_images, train_labels, epochs=2, batch_size=32,
                    validation_split=0.1, callbacks=[stop], verbose=2)
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=0)
print("Test accuracy:", test_acc)
predictions = model.predict(test_images)
print("first prediction:", np.argmax(predictions[0]), "label:", test_labels[0])
assert test_acc > 0.87 and sorted(history.history) == ["acc", "loss", "val_acc", "val_loss"]

model.save_weights("digits")
fresh = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)),
                          keras.layers.Dense(128, activation="relu"),
                          keras.layers.Dropout(0.2),
                          keras.layers.Dense(10, activation="softmax")])
fresh.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["acc"])
fresh.load_weights("digits")
assert abs(fresh.evaluate(test_images, test_labels, verbose=0)[1] - test_acc) < 1e-6

inputs = keras.Input(shape=(28, 28))
features = model.layers[1](model.layers[0](inputs))      # the trained layers, shared
probabilities = model.layers[3](features)
functional = keras.Model(inputs=inputs, outputs=probabilities)
same = np.allclose(functional.predict(test_images[:10]), predictions[:10], atol=1e-6)
print("functional model agrees:", same)
assert same
