namespace PaperMailer.Testing;

/// <summary>A test that reads messages back with Python's email package (<see cref="PythonEmail"/>).</summary>
public sealed class PythonEmailFactAttribute : FactAttribute
{
    public PythonEmailFactAttribute()
    {
        Skip = TestEnvironment.SkipUnless(PythonEmail.Available, PythonEmail.MissingReason);
    }
}
