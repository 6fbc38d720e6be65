"""usersim's benchmark suite (`make bench`): throughput against a bare-Starlette ceiling,
start-up, reset, scale and test-harness figures, written to `bench/results.md`.

Never part of `make test`: it pins processes to cores and takes minutes.
"""
