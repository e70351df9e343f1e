"""``forked.Forked``: one build step in a forked child process, beside the next one."""
import os

import pytest

from build_scripts.forked import Forked


def _pid_and_sum(numbers):
    return os.getpid(), sum(numbers)


def test_the_result_is_computed_in_a_child_that_inherits_the_arguments():
    numbers = list(range(100_000))
    pid, total = Forked(_pid_and_sum, numbers).result()
    assert total == sum(numbers) and pid != os.getpid()


def test_disabled_it_runs_here():
    pid, total = Forked(_pid_and_sum, [1, 2, 3], enabled=False).result()
    assert (pid, total) == (os.getpid(), 6)


def _fails(message):
    raise ValueError(message)


def test_an_exception_in_the_child_is_raised_by_result():
    job = Forked(_fails, "a bug in the step")
    with pytest.raises(ValueError, match="a bug in the step"):
        job.result()


def _dies_in_a_child(parent):
    if os.getpid() != parent:
        os._exit(3)  # killed, out of memory: no answer at all
    return "computed in the parent"


def test_a_child_that_dies_without_an_answer_is_replaced_by_the_parent(caplog):
    assert Forked(_dies_in_a_child, os.getpid()).result() == "computed in the parent"
    assert "ended without its result" in caplog.text


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle this exception")


def _fails_unpicklably():
    raise _Unpicklable("odd")


def test_an_exception_that_cannot_be_pickled_still_fails_the_step_with_its_name():
    with pytest.raises(RuntimeError, match="_fails_unpicklably"):
        Forked(_fails_unpicklably).result()


def _step_in_a_daemon(queue):
    queue.put(Forked(_pid_and_sum, [4, 5]).result())


def test_in_a_daemon_process_which_may_not_fork_it_runs_there():
    import multiprocessing as mp

    context = mp.get_context("fork")
    queue = context.Queue()
    daemon = context.Process(target=_step_in_a_daemon, args=(queue,), daemon=True)
    daemon.start()
    pid, total = queue.get(timeout=30)
    daemon.join()
    assert total == 9 and pid == daemon.pid
