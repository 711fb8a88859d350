using Microsoft.Extensions.Options;

namespace Billing.Application.Common.Configuration;

/// <summary>Collects what is wrong with one options object, each failure a sentence that names its configuration key.</summary>
public sealed class OptionsFailures
{
    private readonly List<string> failures = [];

    /// <summary>Records <paramref name="message"/> unless <paramref name="valid"/>.</summary>
    public OptionsFailures Check(bool valid, string message)
    {
        if (!valid)
        {
            failures.Add(message);
        }

        return this;
    }

    public ValidateOptionsResult ToResult() => failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
