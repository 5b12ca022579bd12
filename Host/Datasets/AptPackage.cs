using System.ComponentModel;
using System.Diagnostics;

namespace VisionPlugin.Host.Datasets;

/// <summary>
/// Checks for and installs one Debian package, the way scripts/setup.sh does: <c>dpkg-query</c> first
/// (silent when installed), otherwise <c>apt-get install --no-install-recommends</c> as root or through
/// <c>sudo -n</c>, with <c>apt-get update</c> and one retry when the package lists are stale.
/// </summary>
internal static class AptPackage
{
    /// <summary>Whether dpkg reports <paramref name="package"/> as "install ok installed".</summary>
    /// <exception cref="InvalidOperationException">dpkg-query is not available (not a Debian-based system).</exception>
    public static bool IsInstalled(string package)
    {
        var (exitCode, stdout, _) = Run("dpkg-query", ["-W", "-f=${Status}", package], TimeSpan.FromSeconds(30));
        return exitCode == 0 && stdout.Trim() == "install ok installed";
    }

    /// <summary>Installs <paramref name="package"/> unless it is installed; returns whether it installed it now.</summary>
    /// <param name="package">The Debian package.</param>
    /// <param name="description">Shown while installing, e.g. "160 MB download".</param>
    /// <param name="log">Where progress lines go (stderr, so --json output stays clean).</param>
    /// <exception cref="InvalidOperationException">Not a Debian system, no root or sudo, or apt-get failed (its last output lines are in the message).</exception>
    public static bool EnsureInstalled(string package, string description, TextWriter log)
    {
        if (IsInstalled(package)) return false;
        log.WriteLine($"installing Debian package {package} ({description})...");
        string[] install = ["-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", "--no-install-recommends", package];
        var (exitCode, _, stderr) = AptGet(install);
        if (exitCode != 0)
        {
            AptGet(["-o", "DPkg::Lock::Timeout=300", "update", "-qq"]);
            (exitCode, _, stderr) = AptGet(install);
        }
        if (exitCode != 0 || !IsInstalled(package))
        {
            string tail = string.Join(Environment.NewLine, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(5));
            throw new InvalidOperationException($"apt-get could not install {package} (exit code {exitCode}): {tail}");
        }
        log.WriteLine($"installed {package}.");
        return true;
    }

    private static (int ExitCode, string Stdout, string Stderr) AptGet(string[] arguments)
    {
        if (Environment.IsPrivilegedProcess) return Run("apt-get", arguments, TimeSpan.FromMinutes(15));
        return Run("sudo", ["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", .. arguments], TimeSpan.FromMinutes(15));
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string program, string[] arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Cannot run {program} ({e.Message}): installing Debian packages needs a Debian-based system with dpkg, apt-get and root or sudo.", e);
        }
        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} did not finish within {timeout.TotalMinutes:0} minutes.");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
