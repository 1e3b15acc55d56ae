using MongoAuth.Authentication;
using MongoAuth.Authentication.Gssapi;
using MongoAuth.Tests.Gssapi;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.Gssapi;
using MongoAuth.TestServer.FailPoints;
using static MongoAuth.Tests.EndToEnd.GssapiEndToEnd;
using static MongoAuth.Tests.Gssapi.KerberosBackend;
using static MongoAuth.Tests.Reference.GssapiReferenceTests;

using MongoAuth.Tests.Support;

namespace MongoAuth.Tests.EndToEnd;

/// <summary>GSSAPI failures through our <see cref="MongoClient"/>: each message says what to fix, none shows a secret.</summary>
[Collection(KerberosCollection.Name)]
public sealed class GssapiEndToEndFailureTests
{
    [Theory, BothModes]
    public async Task Wrong_password_says_the_kdc_rejected_it_and_never_shows_it(Mode mode)
    {
        Kdestroy();
        const string wrong = "not-the-Password-42";
        await using var server = await StartAsync();

        var error = await FailsAsync(mode, server, Uri(server, wrong));

        Assert.Contains($"rejected the password of '{User}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(UserPassword, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Statistics.CommandsReceived("saslStart"));
    }

    [Theory, BothModes]
    public async Task No_ticket_and_no_password_says_to_run_kinit_for_the_principal(Mode mode)
    {
        Kdestroy();
        await using var server = await StartAsync();

        var error = await FailsAsync(mode, server, Uri(server, password: null));

        Assert.Contains($"run 'kinit {User}' or give a password", error.Message, StringComparison.Ordinal);
        Assert.Contains(Get("KRB5CCNAME"), error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task Unknown_service_name_shows_the_spn_used(Mode mode)
    {
        await using var server = await StartAsync();

        var error = await FailsAsync(mode, server, Uri(server, UserPassword, options: "&authMechanismProperties=SERVICE_NAME:nosuchservice"));

        Assert.Contains("does not know the service principal 'nosuchservice/localhost'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Mode.Sync, "")]
    [InlineData(Mode.Async, "")]
    [InlineData(Mode.Sync, "&authMechanismProperties=CANONICALIZE_HOST_NAME:none")]
    [InlineData(Mode.Async, "&authMechanismProperties=CANONICALIZE_HOST_NAME:none")]
    [InlineData(Mode.Sync, "&authMechanismProperties=CANONICALIZE_HOST_NAME:false")]
    [InlineData(Mode.Async, "&authMechanismProperties=CANONICALIZE_HOST_NAME:false")]
    [InlineData(Mode.Sync, "&authMechanismProperties=CANONICALIZE_HOST_NAME:forward")]
    [InlineData(Mode.Async, "&authMechanismProperties=CANONICALIZE_HOST_NAME:forward")]
    public async Task Address_that_is_not_canonicalized_by_reverse_lookup_is_an_unknown_spn(Mode mode, string options)
    {
        await using var server = await StartAsync();

        var error = await FailsAsync(mode, server, Uri(server, UserPassword, "127.0.0.1", options));

        Assert.Contains("does not know the service principal 'mongodb/127.0.0.1'", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task Partner_service_without_service_realm_is_unknown_in_the_home_realm(Mode mode)
    {
        await using var server = await StartAsync();

        var error = await FailsAsync(mode, server, Uri(server, UserPassword, options: $"&authMechanismProperties=SERVICE_HOST:{PartnerServiceHost}"));

        Assert.Contains($"does not know the service principal 'mongodb/{PartnerServiceHost}'", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task Unreachable_kdc_says_so(Mode mode)
    {
        await using var server = await StartAsync();

        var error = await FailsAsync(mode, server, Uri(server, "any-password", user: "someone@" + DownRealm));

        Assert.Contains("no KDC of the realm could be reached", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothModes]
    public async Task Principal_the_server_does_not_know_is_refused_by_the_server(Mode mode)
    {
        await using var server = await StartAsync();
        server.RegisterMechanism(new GssapiServerMechanism(new Dictionary<string, IReadOnlyList<GrantedRole>> { [KeytabUser] = [] }));

        var error = await FailsAsync(mode, server, Uri(server, UserPassword));

        Assert.Equal(18, error.ServerErrorCode);
        Assert.Contains($"'{User}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sometimes")]
    [InlineData("yes")]
    [InlineData("forwardandreverse2")]
    public async Task Invalid_canonicalize_host_name_is_a_configuration_error_when_the_client_is_built(string value)
    {
        await using var server = await StartAsync();

        var error = Assert.Throws<MongoConfigurationException>(
            () => new MongoClient(Uri(server, UserPassword, options: $"&authMechanismProperties=CANONICALIZE_HOST_NAME:{value}")));

        Assert.Contains("CANONICALIZE_HOST_NAME", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Statistics.ConnectionsAccepted);
    }

    [Theory, BothModes]
    public async Task Security_context_is_released_when_the_server_fails_the_conversation_midway(Mode mode)
    {
        await using var server = await StartAsync();
        server.ConfigureFailPoint(new FailCommand { Commands = ["saslContinue"], Times = 1, ErrorCode = 18 });
        var conversations = new List<GssapiConversation>();
        var settings = MongoClientSettings.FromConnectionString(Uri(server, UserPassword));
        settings = settings with { Mechanisms = settings.Mechanisms.WithMechanism("GSSAPI", (credential, _) => new RecordingMechanism(new GssapiMechanism(credential), conversations)) };
        await using var client = new MongoClient(settings);

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.GetConnectionStatusIn(mode));

        Assert.Equal(18, error.ServerErrorCode);
        var conversation = Assert.Single(conversations);
        Assert.Equal("mongodb/localhost", conversation.ServicePrincipal);
        Assert.True(conversation.IsDisposed);
    }

    /// <summary>The real GSSAPI mechanism, keeping each conversation it starts for inspection.</summary>
    private sealed class RecordingMechanism(GssapiMechanism inner, List<GssapiConversation> conversations) : ISaslMechanism
    {
        public string Name => inner.Name;

        public string Source => inner.Source;

        public ISaslStep CreateFirstStep(SaslConversationContext context)
        {
            var step = (GssapiConversation)inner.CreateFirstStep(context);
            conversations.Add(step);
            return step;
        }
    }
}
