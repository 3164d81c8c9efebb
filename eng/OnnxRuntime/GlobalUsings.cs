// The upstream sources rely on this namespace being imported by their original build.
global using System.Reflection;
