"""The garbage collector and a long-running process: what start-up built stays out of its full collections."""

import gc


def freeze_startup_objects() -> None:
    """Move every object alive now (the modules, the configuration, the SDKs' apps and models: about 250,000 for a
    process serving both platforms) into the collector's permanent generation. A full collection otherwise walks
    them all and stops the process for 100-200 ms, a request waiting behind it; they live as long as the process,
    so freezing them frees nothing that would have been freed. Call it once, when everything is built."""
    gc.collect()  # what start-up left as garbage is freed now, not kept for the life of the process
    gc.freeze()
