using Microsoft.Extensions.Options;

namespace MongoAuth.DependencyInjection;

/// <summary>
/// Validates <see cref="MongoClientOptions"/> at startup by building the settings and a client from them: the client
/// constructor validates the credential and the mechanism, and opens no connection.
/// </summary>
internal sealed class MongoClientOptionsValidator : IValidateOptions<MongoClientOptions>
{
    public ValidateOptionsResult Validate(string? name, MongoClientOptions options)
    {
        try
        {
            using var client = new MongoClient(options.BuildSettings());
            return ValidateOptionsResult.Success;
        }
        catch (MongoConfigurationException e)
        {
            // The message names the option and never contains a secret.
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
