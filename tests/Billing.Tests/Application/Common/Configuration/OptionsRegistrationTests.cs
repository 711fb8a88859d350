using Billing.Application.Common.Configuration;
using Billing.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Billing.Tests.Application.Common.Configuration;

public sealed class OptionsRegistrationTests
{
    [Test]
    public void AddValidatedOptions_SectionPresent_BindsItFromConfiguration()
    {
        using var provider = Provider(("Sample:Name", "billing"));

        Assert.That(provider.GetRequiredService<IOptions<SampleOptions>>().Value.Name, Is.EqualTo("billing"));
    }

    [Test]
    public void AddValidatedOptions_SectionBreaksTheValidatorsRule_FailsStartUpValidationWithTheValidatorsMessage()
    {
        using var provider = Provider(("Sample:Name", ""));

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(exception.Failures, Is.EqualTo(new[] { SampleOptionsValidator.Message }));
    }

    private static ServiceProvider Provider(params (string Key, string? Value)[] settings)
    {
        var services = new ServiceCollection().AddSingleton(ApplicationFixtures.Configuration(settings));
        services.AddValidatedOptions<SampleOptions, SampleOptionsValidator>("Sample");
        return services.BuildServiceProvider();
    }

    internal sealed class SampleOptions
    {
        public string Name { get; set; } = string.Empty;
    }

    internal sealed class SampleOptionsValidator : IValidateOptions<SampleOptions>
    {
        public const string Message = "Sample:Name must not be empty.";

        public ValidateOptionsResult Validate(string? name, SampleOptions options) =>
            new OptionsFailures().Check(options.Name.Length > 0, Message).ToResult();
    }
}
