"""System tests: the whole stack as processes, with faults injected; run as modules, not collected by pytest."""
