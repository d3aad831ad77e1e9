"""Layer 1, the `monitor` command: click groups that parse options, call the Python API below
and print. No work happens here, so everything a command does a notebook can do."""
