# Skip-gram word2vec with NCE loss, as TensorFlow's word2vec_basic.py tutorial builds it:
# embedding_lookup, nce_loss with sampled candidates, cosine similarity of normalized rows.
# parity: none (the candidate sampler draws from each framework's own generator)
import collections
import math

import numpy as np
import autograd.tf1 as tf

text = ("the quick brown fox jumps over the lazy dog the dog sleeps and the fox runs "
        "a quick dog and a lazy fox the end").split() * 30
counts = collections.Counter(text).most_common()
dictionary = {word: i for i, (word, _) in enumerate(counts)}
data = [dictionary[w] for w in text]
vocabulary_size, embedding_size, num_sampled, skip_window = len(dictionary), 16, 4, 1
rng = np.random.RandomState(0)


def generate_batch(batch_size):
    centers = rng.randint(skip_window, len(data) - skip_window, batch_size)
    offsets = rng.choice([-1, 1], batch_size)
    return (np.array([data[c] for c in centers], np.int32),
            np.array([[data[c + o]] for c, o in zip(centers, offsets)], np.int32))


tf.set_random_seed(1)
train_inputs = tf.placeholder(tf.int32, shape=[None])
train_labels = tf.placeholder(tf.int32, shape=[None, 1])
embeddings = tf.Variable(tf.random_uniform([vocabulary_size, embedding_size], -1.0, 1.0))
embed = tf.nn.embedding_lookup(embeddings, train_inputs)
nce_weights = tf.Variable(tf.truncated_normal([vocabulary_size, embedding_size],
                                              stddev=1.0 / math.sqrt(embedding_size)))
nce_biases = tf.Variable(tf.zeros([vocabulary_size]))
loss = tf.reduce_mean(tf.nn.nce_loss(weights=nce_weights, biases=nce_biases,
                                     labels=train_labels, inputs=embed,
                                     num_sampled=num_sampled, num_classes=vocabulary_size))
optimizer = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
norm = tf.sqrt(tf.reduce_sum(tf.square(embeddings), 1, keepdims=True))
normalized_embeddings = embeddings / norm
similarity = tf.matmul(normalized_embeddings, normalized_embeddings, transpose_b=True)
with tf.Session() as session:
    tf.global_variables_initializer().run()
    first = None
    for step in range(400):
        inputs, labels = generate_batch(64)
        _, loss_val = session.run([optimizer, loss], {train_inputs: inputs, train_labels: labels})
        first = loss_val if first is None else first
    nearest = (-session.run(similarity)[dictionary["fox"]]).argsort()[1:4]
    print("loss went from", first, "to", loss_val)
    print("nearest to fox:", [counts[i][0] for i in nearest])
    assert loss_val < first
