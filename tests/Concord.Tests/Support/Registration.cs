using System.Runtime.CompilerServices;

namespace Concord.Tests.Support;

/// <summary>The external connectors are known to tests that open connectors without the command line, as they are to the program.</summary>
internal static class Registration
{
    [ModuleInitializer]
    internal static void RegisterConnectors() => global::Concord.Connectors.ExternalConnectors.Register();
}
