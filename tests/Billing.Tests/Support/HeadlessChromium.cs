using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Billing.Tests.Support;

/// <summary>
/// Debian's Chromium driven through Debian's ChromeDriver: a real browser with nothing downloaded, in a fresh
/// profile, with the background traffic this closed network would refuse turned off.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    private static readonly string BrowserPath = Environment.GetEnvironmentVariable("BILLING_CHROMIUM") ?? "/usr/bin/chromium";
    private static readonly string DriverPath = Environment.GetEnvironmentVariable("BILLING_CHROMEDRIVER") ?? "/usr/bin/chromedriver";

    // Fixed, so that screenshots (docs/images among them) come out the same size on every machine.
    private static readonly Size WindowSize = new(1280, 1024);

    private readonly string profile = Directory.CreateTempSubdirectory("billing-chromium-").FullName;

    private HeadlessChromium()
    {
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            $"--window-size={WindowSize.Width},{WindowSize.Height}", $"--user-data-dir={profile}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(30));
    }

    public IWebDriver Driver { get; }

    /// <exception cref="InvalidOperationException">Chromium or ChromeDriver is not installed; the message says how to install them.</exception>
    public static HeadlessChromium Start() =>
        File.Exists(BrowserPath) && File.Exists(DriverPath)
            ? new HeadlessChromium()
            : throw new InvalidOperationException(
                $"The browser tests need Chromium ({BrowserPath}) and ChromeDriver ({DriverPath}). On Debian or Ubuntu: " +
                "apt-get install -y chromium chromium-driver (or set BILLING_CHROMIUM and BILLING_CHROMEDRIVER).");

    /// <summary>Waits up to 10 s for <paramref name="condition"/> to return something other than null.</summary>
    public T WaitFor<T>(Func<IWebDriver, T?> condition)
        where T : class
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(10));
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition)!;
    }

    /// <summary>
    /// Closes the tab in use and goes on in a new one, as a user opening the app anew: a page's sessionStorage belongs
    /// to its tab, so nothing an earlier test's page kept there is seen.
    /// </summary>
    public void OpenFreshTab()
    {
        var previous = Driver.CurrentWindowHandle;
        Driver.SwitchTo().NewWindow(WindowType.Tab);
        var fresh = Driver.CurrentWindowHandle;
        Driver.SwitchTo().Window(previous).Close();
        Driver.SwitchTo().Window(fresh);
        Driver.Manage().Window.Size = WindowSize;
    }

    /// <summary>Saves what the browser shows into the test's output folder, attaches it to the test result, and returns its path.</summary>
    public string Screenshot(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots")).FullName;
        var path = Path.Combine(folder, $"{name}.png");
        ((ITakesScreenshot)Driver).GetScreenshot().SaveAsFile(path);
        TestContext.AddTestAttachment(path, name);
        return path;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        Directory.Delete(profile, recursive: true);
    }
}
