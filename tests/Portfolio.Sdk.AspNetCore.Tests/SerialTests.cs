namespace Portfolio.Sdk.AspNetCore.Tests;

/// <summary>Tests that measure the process (allocated bytes) run alone.</summary>
[CollectionDefinition(nameof(SerialTests), DisableParallelization = true)]
public sealed class SerialTests;
