// Host tests share one GL thread per fixture and the X server; run them one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
