"""Graphs from the course, shared by the README image script and the tests."""
import autograd as ag


def homework_graph():
    """The name-scope homework: (graph, placeholder a, final node f)."""
    graph = ag.Graph()
    with graph.as_default():
        with ag.name_scope("Input_placeholder"):
            a = ag.placeholder(ag.float32, None, name="a")
        with ag.name_scope("Middle_section"):
            b = ag.reduce_prod(a, name="prod_b")
            c = ag.reduce_mean(a)
            d = ag.reduce_sum(a, name="sum_a")
            e = ag.add(b, c, name="add_d")
        with ag.name_scope("Final_node"):
            f = ag.multiply(e, d, name="final_multiply_node")
    return graph, a, f


def course_cnn(optimizer="adam"):
    """The course's CNN (conv 5x5x4, 5x5x8 /2, 4x4x12 /2, dense 200, 10 outputs) trained
    with Adam on a decaying learning rate, as notebook 07 builds it, in a new graph.
    Returns (graph, dict of its tensors and ops)."""
    import math

    import nn
    import optim

    graph = ag.Graph()
    with graph.as_default():
        X = ag.placeholder(ag.float32, [None, 28, 28, 1], name="X")
        Y_ = ag.placeholder(ag.float32, [None, 10], name="Y_")
        ag.set_random_seed(0)

        def weights(shape):
            return ag.Variable(ag.truncated_normal(shape, stddev=0.1), name="W")

        def biases(n):
            return ag.Variable(ag.ones([n]) / 10, name="b")

        with ag.name_scope("conv1"):
            Y1 = nn.relu(nn.conv2d(X, weights([5, 5, 1, 4]), [1, 1, 1, 1], "SAME")
                         + biases(4))
        with ag.name_scope("conv2"):
            Y2 = nn.relu(nn.conv2d(Y1, weights([5, 5, 4, 8]), [1, 2, 2, 1], "SAME")
                         + biases(8))
        with ag.name_scope("conv3"):
            Y3 = nn.relu(nn.conv2d(Y2, weights([4, 4, 8, 12]), [1, 2, 2, 1], "SAME")
                         + biases(12))
        with ag.name_scope("dense"):
            flat = ag.reshape(Y3, [-1, 7 * 7 * 12])
            Y4 = nn.relu(ag.matmul(flat, weights([7 * 7 * 12, 200])) + biases(200))
        with ag.name_scope("output"):
            logits = ag.matmul(Y4, weights([200, 10])) + biases(10)
        loss = ag.reduce_mean(nn.softmax_cross_entropy_with_logits(labels=Y_,
                                                                   logits=logits)) * 100
        step = optim.get_or_create_global_step()
        lr = 0.0001 + optim.exponential_decay(0.003, step, 2000, 1 / math.e)
        train = optim.AdamOptimizer(lr).minimize(loss, global_step=step)
        hits = ag.equal(ag.argmax(logits, 1), ag.argmax(Y_, 1))
        accuracy = ag.reduce_mean(ag.to_float(hits))
        init = ag.global_variables_initializer()
    return graph, dict(X=X, Y_=Y_, Y1=Y1, Y2=Y2, Y3=Y3, Y4=Y4, logits=logits, loss=loss,
                       train=train, accuracy=accuracy, init=init, step=step)
