# The TF 1.x "Getting started" premade Estimators on feature columns: a LinearRegressor
# (FTRL from zero weights: the same numbers in every framework) and a DNNClassifier on an
# iris-like data set made here, trained, evaluated and asked for predictions; the model
# lives in model_dir between the calls, and a second train() resumes from it.
# parity: none (tf.estimator left TensorFlow in 2.16, and tensorflow-estimator 2.15 needs
# TF 2.15; the thresholds below are the check: accuracy > 0.9, predictions agree)
import numpy as np
import autograd.tf1 as tf

rng = np.random.RandomState(3)
n = 240
species = rng.randint(0, 3, n)
centres = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])
measures = (centres[species] + rng.randn(n, 4) * 0.25).astype(np.float32)
names = ["SepalLength", "SepalWidth", "PetalLength", "PetalWidth"]
train_x = {name: measures[:200, i] for i, name in enumerate(names)}
test_x = {name: measures[200:, i] for i, name in enumerate(names)}
train_y, test_y = species[:200], species[200:]

columns = [tf.feature_column.numeric_column(key=name) for name in names]

# 1. linear regression of petal width on the other measures
regressor = tf.estimator.LinearRegressor(feature_columns=columns[:3], model_dir="linear")
target = {"y": measures[:200, 3]}
fit = tf.estimator.inputs.numpy_input_fn(
    x={k: train_x[k] for k in names[:3]}, y=measures[:200, 3], batch_size=20, num_epochs=None,
    shuffle=False)
regressor.train(input_fn=fit, steps=100)
regressor.train(input_fn=fit, steps=100)          # resumes at step 100
check = tf.estimator.inputs.numpy_input_fn(
    x={k: test_x[k] for k in names[:3]}, y=measures[200:, 3], batch_size=40, num_epochs=1,
    shuffle=False)
linear_eval = regressor.evaluate(input_fn=check)
print("linear regressor:", linear_eval)

# 2. a DNN classifier of the three species
classifier = tf.estimator.DNNClassifier(feature_columns=columns, hidden_units=[10, 10],
                                        n_classes=3, model_dir="dnn",
                                        config=tf.estimator.RunConfig(tf_random_seed=1))
classifier.train(input_fn=tf.estimator.inputs.numpy_input_fn(
    x=train_x, y=train_y, batch_size=20, num_epochs=None, shuffle=True), steps=400)
accuracy = classifier.evaluate(input_fn=tf.estimator.inputs.numpy_input_fn(
    x=test_x, y=test_y, batch_size=40, num_epochs=1, shuffle=False))["accuracy"]
predictions = list(classifier.predict(input_fn=tf.estimator.inputs.numpy_input_fn(
    x=test_x, num_epochs=1, shuffle=False)))
agree = np.mean([p["class_ids"][0] == y for p, y in zip(predictions, test_y)])
print("dnn accuracy: %.3f, predictions agree with it: %.3f" % (accuracy, agree))
assert accuracy > 0.9 and abs(agree - accuracy) < 1e-6
print("result", linear_eval["global_step"], linear_eval["average_loss"],
      regressor.get_variable_value("linear/linear_model/bias_weights")[0]
      if "linear/linear_model/bias_weights" in regressor.get_variable_names() else 0.0,
      len(predictions))
