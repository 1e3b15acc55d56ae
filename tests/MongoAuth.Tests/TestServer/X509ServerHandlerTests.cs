using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Authentication.X509;
using MongoAuth.TestServer.Users;
using MongoAuth.Tests.Tls;
using MongoDB.Bson;

namespace MongoAuth.Tests.TestServer;

/// <summary>The server half of MONGODB-X509 on its own: the answers mongod gives for each input.</summary>
[Collection(PkiCollection.Name)]
public sealed class X509ServerHandlerTests(PkiFixture fixture)
{
    private readonly TestUserStore _users = new();

    private AuthenticatedUser Authenticate(BsonDocument command, bool withCertificate = true)
    {
        _users.AddExternalUser(fixture.Pki.ClientEc.Subject, [new GrantedRole("read", "app")]);
        var certificate = withCertificate ? fixture.Pki.ClientEc.Certificate : null;
        return new X509ServerHandler(_users).Authenticate(new ServerAuthenticateContext(null, true, certificate, command));
    }

    private static BsonDocument Command(string? user = null, string db = "$external")
    {
        var command = new BsonDocument { { "authenticate", 1 }, { "mechanism", "MONGODB-X509" } };
        if (user is not null)
        {
            command["user"] = user;
        }
        command["$db"] = db;
        return command;
    }

    [Fact]
    public void The_user_is_the_rfc2253_subject_of_the_certificate()
    {
        var user = Authenticate(Command());

        Assert.Equal("CN=client-ec,OU=eng,O=MongoAuth,C=US", user.User);
        Assert.Equal("$external", user.Db);
        Assert.Equal("read", Assert.Single(user.Roles).Role);
    }

    [Fact]
    public void A_speculative_document_names_its_database_in_db()
    {
        var command = Command(fixture.Pki.ClientEc.Subject);
        command.Remove("$db");
        command["db"] = "$external";

        Assert.Equal(fixture.Pki.ClientEc.Subject, Authenticate(command).User);
    }

    [Theory]
    [InlineData("CN=client-rsa,OU=eng,O=MongoAuth,C=US", "no x.509 client certificate matching the user")]
    [InlineData("CN=client-ec, OU=eng, O=MongoAuth, C=US", "no x.509 client certificate matching the user")]
    public void A_user_that_is_not_the_subject_exactly_is_refused_with_18(string user, string message)
    {
        var error = Assert.Throws<ServerCommandException>(() => Authenticate(Command(user)));

        Assert.Equal(18, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_certificate_is_refused_with_18()
    {
        var error = Assert.Throws<ServerCommandException>(() => Authenticate(Command(), withCertificate: false));

        Assert.Equal(18, error.Code);
        Assert.Contains("No verified subject name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subject_without_a_user_is_refused_with_18()
    {
        var handler = new X509ServerHandler(new TestUserStore());

        var error = Assert.Throws<ServerCommandException>(() =>
            handler.Authenticate(new ServerAuthenticateContext(null, true, fixture.Pki.ClientRsa.Certificate, Command())));

        Assert.Equal(18, error.Code);
        Assert.Contains(fixture.Pki.ClientRsa.Subject, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_database_than_external_is_a_protocol_error()
    {
        var error = Assert.Throws<ServerCommandException>(() => Authenticate(Command(db: "admin")));

        Assert.Equal(17, error.Code);
        Assert.Contains("$external", error.Message, StringComparison.Ordinal);
    }
}
