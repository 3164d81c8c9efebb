// The namespaces nearly every test file imports: the app's feature namespaces and UI components (with bUnit, which
// renders them), the shared test support, and the framework parts the integration tests talk through.
// Files also compiled into the benchmarks or the load tool (linked from TestSupport/) keep their own usings.
global using System.Net;
global using System.Text.Json;
global using Bunit;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Options;
global using StreamingApp.Components.Jobs;
global using StreamingApp.Components.Stream;
global using StreamingApp.Core.Imaging;
global using StreamingApp.Core.Inference;
global using StreamingApp.Core.Jobs;
global using StreamingApp.Core.Pipelines;
global using StreamingApp.Core.Streaming;
global using StreamingApp.Tests.TestSupport;
global using Xunit.Abstractions;
