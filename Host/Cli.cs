namespace VisionPlugin.Host;

public static class Cli
{
    public static int Run(string[] args)
    {
        Console.WriteLine("placeholder");
        return 0;
    }
}
