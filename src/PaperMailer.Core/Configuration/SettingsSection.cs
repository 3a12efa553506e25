using System.Reflection;

namespace PaperMailer.Configuration;

/// <summary>One options class and the configuration section it is bound from ("Smtp", "Sources:Arxiv").</summary>
public sealed record SettingsSection(string Name, Type OptionsType)
{
    /// <summary>The settings the section accepts: the options class's writable properties.</summary>
    public IReadOnlyList<PropertyInfo> Settings { get; } =
        OptionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToArray();

    public string KeyOf(string setting) => $"{Name}:{setting}";
}
