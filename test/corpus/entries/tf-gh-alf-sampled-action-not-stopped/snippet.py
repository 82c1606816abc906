import tensorflow as tf
import tensorflow_probability as tfp

from tf_agents.drivers import driver
from tf_agents.specs.distribution_spec import nested_distributions_from_specs

import alf.utils.common as common
from alf.algorithms.on_policy_algorithm import make_action_time_step


class OnPolicyDriver(driver.Driver):
    ...

    def _sample_action_distribution(self, action_distribution):
        seed_stream = tfp.distributions.SeedStream(seed=None, salt='driver')
        return tf.nest.map_structure(lambda d: d.sample(seed=seed_stream()),
                                     action_distribution)

    def _env_step(self, action):
        time_step = self.env.step(action)
        return make_action_time_step(time_step, action)

    def _step(self, time_step, policy_state):
        policy_state = common.reset_state_if_necessary(policy_state,
                                                       self._initial_state,
                                                       time_step.is_first())

        policy_step = self._algorithm_step(time_step, state=policy_state)

        action = self._sample_action_distribution(policy_step.action)

        next_time_step = self._env_step(action)

        if self._observers:
            traj = from_transition(time_step,
                                   policy_step._replace(action=action),
                                   next_time_step)
            for observer in self._observers:
                observer(traj)

        return next_time_step, policy_step, action

    def _train_loop_body(self, counter, time_step, policy_state,
                         training_info_ta):

        next_time_step, policy_step, action = self._step(
            time_step, policy_state)
        action_distribution_param = common.get_distribution_params(
            policy_step.action)

        training_info = TrainingInfo(
            action_distribution=action_distribution_param,
            action=action,
            reward=time_step.reward,
            discount=time_step.discount,
            step_type=time_step.step_type,
            info=policy_step.info)

        training_info_ta = tf.nest.map_structure(
            lambda ta, x: ta.write(counter, x), training_info_ta,
            training_info)

        counter += 1

        return [counter, next_time_step, policy_step.state, training_info_ta]

    def _eval_loop_body(self, time_step, policy_state):
        next_time_step, policy_step, _ = self._step(time_step, policy_state)

        return [next_time_step, policy_step.state]

    def _iter(self, time_step, policy_state):
        """One training iteration."""
        counter = tf.zeros((), tf.int32)
        batch_size = self.env.batch_size

        def create_ta(s):
            return tf.TensorArray(
                dtype=s.dtype,
                size=self._train_interval,
                element_shape=tf.TensorShape([batch_size]).concatenate(
                    s.shape))

        training_info_ta = tf.nest.map_structure(create_ta,
                                                 self._training_info_spec)

        with tf.GradientTape() as tape:
            [_, time_step, policy_state, training_info_ta] = tf.while_loop(
                cond=lambda counter, *_: tf.less(counter, self._train_interval),
                body=self._train_loop_body,
                loop_vars=[counter, time_step, policy_state, training_info_ta],
                back_prop=True,
                parallel_iterations=1,
                name='iter_loop')

            training_info = tf.nest.map_structure(lambda ta: ta.stack(),
                                                  training_info_ta)

            action_distribution = nested_distributions_from_specs(
                self._algorithm.action_distribution_spec,
                training_info.action_distribution)

            training_info = training_info._replace(
                action_distribution=action_distribution)


        ...

        loss_info, grads_and_vars = self._algorithm.train_complete(
            tape, training_info, time_step, policy_step)
        ...
