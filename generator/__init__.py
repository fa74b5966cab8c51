"""网格反诈考评公示平台: validate grid workers' evaluation records, score them, publish."""

__version__ = "0.1.0"
