# A custom Estimator as in TF 1.x's "Creating Custom Estimators" guide and the layers
# tutorial's cnn_mnist.py: a model_fn with TRAIN / EVAL / PREDICT branches, tf.metrics in
# eval_metric_ops, a LoggingTensorHook, train_and_evaluate, then predict.
# parity: none (tf.estimator left TensorFlow in 2.16; checked here: accuracy > 0.85)
import numpy as np
import autograd.tf1 as tf
from autograd.tf1.examples.tutorials.mnist import input_data

tf.logging.set_verbosity(tf.logging.INFO)
mnist = input_data.read_data_sets("MNIST_data/", one_hot=False)
train_images, train_labels = mnist.train.images[:3000], mnist.train.labels[:3000]
eval_images, eval_labels = mnist.test.images[:500], mnist.test.labels[:500]


def cnn_model_fn(features, labels, mode, params):
    input_layer = tf.reshape(features["x"], [-1, 28, 28, 1])
    conv1 = tf.layers.conv2d(input_layer, filters=8, kernel_size=[5, 5], padding="same",
                             activation=tf.nn.relu)
    pool1 = tf.layers.max_pooling2d(conv1, pool_size=[2, 2], strides=2)
    flat = tf.reshape(pool1, [-1, 14 * 14 * 8])
    dense = tf.layers.dense(flat, units=64, activation=tf.nn.relu)
    dropout = tf.layers.dropout(dense, rate=0.2,
                                training=mode == tf.estimator.ModeKeys.TRAIN)
    logits = tf.layers.dense(dropout, units=10)
    predictions = {"classes": tf.argmax(input=logits, axis=1),
                   "probabilities": tf.nn.softmax(logits, name="softmax_tensor")}
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    if mode == tf.estimator.ModeKeys.TRAIN:
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=params["learning_rate"])
        train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
    eval_metric_ops = {"accuracy": tf.metrics.accuracy(labels=labels,
                                                       predictions=predictions["classes"])}
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


config = tf.estimator.RunConfig(tf_random_seed=0, save_checkpoints_steps=100,
                                log_step_count_steps=50)
classifier = tf.estimator.Estimator(model_fn=cnn_model_fn, model_dir="mnist_convnet_model",
                                    config=config, params={"learning_rate": 0.1})
logging_hook = tf.train.LoggingTensorHook(tensors={"probabilities": "softmax_tensor"},
                                          every_n_iter=100)
train_input_fn = tf.estimator.inputs.numpy_input_fn(
    x={"x": train_images}, y=train_labels.astype(np.int32), batch_size=50, num_epochs=None,
    shuffle=True)
eval_input_fn = tf.estimator.inputs.numpy_input_fn(
    x={"x": eval_images}, y=eval_labels.astype(np.int32), num_epochs=1, shuffle=False)
train_spec = tf.estimator.TrainSpec(input_fn=train_input_fn, max_steps=300,
                                    hooks=[logging_hook])
eval_spec = tf.estimator.EvalSpec(input_fn=eval_input_fn, steps=None, throttle_secs=0)
results, _ = tf.estimator.train_and_evaluate(classifier, train_spec, eval_spec)
print("evaluation:", results)
predicted = [p["classes"] for p in classifier.predict(input_fn=eval_input_fn)]
accuracy = np.mean(np.array(predicted) == eval_labels)
print("predict accuracy: %.3f" % accuracy)
assert results["global_step"] == 300 and results["accuracy"] > 0.85
assert abs(accuracy - results["accuracy"]) < 1e-6
print("result", results["global_step"], len(predicted))
