"""``python -m strata sweep SWEEP.yaml -o DIR ...``: what ``strata sweep`` runs."""
import sys

from ._sweep import main

if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0] != "sweep":
        print("usage: python -m strata sweep SWEEP.yaml -o DIR [--workers N] [--scheduler ADDRESS] "
              "[--retry-failed] [-q]", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(args[1:]))
