"""Speed and scale measurements of vpclab, run on demand as ``python -m benchmarks.NAME`` (DESIGN.md §8)."""
