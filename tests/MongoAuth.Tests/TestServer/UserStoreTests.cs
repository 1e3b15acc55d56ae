using System.Security.Cryptography;
using System.Text;
using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Users;

namespace MongoAuth.Tests.TestServer;

public sealed class UserStoreTests
{
    /// <summary>
    /// Checks a stored credential the way a SCRAM server uses it: the proof the client sends must unmask to a
    /// ClientKey hashing to StoredKey, and ServerKey must sign the AuthMessage as the expected <c>v=</c>.
    /// </summary>
    private static void AssertVerifies(ScramUserCredential credential, string authMessage, string proof, string serverSignature)
    {
        var message = Encoding.UTF8.GetBytes(authMessage);
        var sha1 = credential.HashAlgorithm == HashAlgorithmName.SHA1;
        var clientSignature = sha1 ? HMACSHA1.HashData(credential.StoredKey.Span, message) : HMACSHA256.HashData(credential.StoredKey.Span, message);
        var clientKey = Convert.FromBase64String(proof).Zip(clientSignature, (a, b) => (byte)(a ^ b)).ToArray();
        var stored = sha1 ? SHA1.HashData(clientKey) : SHA256.HashData(clientKey);
        var signature = sha1 ? HMACSHA1.HashData(credential.ServerKey.Span, message) : HMACSHA256.HashData(credential.ServerKey.Span, message);

        Assert.Equal(credential.StoredKey.ToArray(), stored);
        Assert.Equal(serverSignature, Convert.ToBase64String(signature));
    }

    [Fact]
    public void Sha1_credential_uses_the_MongoDB_password_digest()
    {
        // The MongoDB auth specification's SCRAM-SHA-1 conversation (driver-requirements §1).
        const string nonce = "fyko+d2lbbFgONRv9qkxdawLHo+Vgk7qvUOKUwuWLIWg4l/9SraGMHEE";
        var credential = ScramUserCredential.Create(ScramMechanismNames.Sha1, "user", "pencil", 10000,
            Convert.FromBase64String("rQ9ZY3MntBeuP3E1TDVC4w=="));

        AssertVerifies(credential,
            $"n=user,r=fyko+d2lbbFgONRv9qkxdawL,r={nonce},s=rQ9ZY3MntBeuP3E1TDVC4w==,i=10000,c=biws,r={nonce}",
            "MC2T8BvbmWRckDw8oWl5IVghwCY=", "UMWeI25JD1yNYZRMpZ4VHvhZ9e0=");
    }

    [Fact]
    public void Sha256_credential_matches_RFC_7677()
    {
        const string nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        var credential = ScramUserCredential.Create(ScramMechanismNames.Sha256, "user", "pencil", 4096,
            Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="));

        AssertVerifies(credential,
            $"n=user,r=rOprNGfwEbeRWgbNEkqO,r={nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r={nonce}",
            "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    [Fact]
    public void New_users_get_mongods_default_iterations_and_salt_lengths()
    {
        var store = new TestUserStore();

        var user = store.AddScramUser("admin", "u", "p", [new GrantedRole("root", "admin")]);

        Assert.Equal(10000, user.ScramCredentials["SCRAM-SHA-1"].Iterations);
        Assert.Equal(16, user.ScramCredentials["SCRAM-SHA-1"].Salt.Length);
        Assert.Equal(15000, user.ScramCredentials["SCRAM-SHA-256"].Iterations);
        Assert.Equal(28, user.ScramCredentials["SCRAM-SHA-256"].Salt.Length);
        Assert.Equal("root", Assert.Single(user.Roles).Role);
    }

    [Fact]
    public void Two_users_with_the_same_password_get_different_salts_and_keys()
    {
        var store = new TestUserStore();

        var a = store.AddScramUser("admin", "a", "same").ScramCredentials["SCRAM-SHA-256"];
        var b = store.AddScramUser("admin", "b", "same").ScramCredentials["SCRAM-SHA-256"];

        Assert.NotEqual(a.Salt.ToArray(), b.Salt.ToArray());
        Assert.NotEqual(a.StoredKey.ToArray(), b.StoredKey.ToArray());
    }

    [Fact]
    public void Lookup_is_by_exact_database_and_name()
    {
        var store = new TestUserStore();
        store.AddScramUser("app", "Alice", "p", mechanisms: [ScramMechanismNames.Sha256]);
        store.AddExternalUser("CN=client,O=Test", [new GrantedRole("read", "test")]);

        Assert.NotNull(store.Find("app", "Alice"));
        Assert.Null(store.Find("app", "alice"));
        Assert.Null(store.Find("admin", "Alice"));
        Assert.Equal(["SCRAM-SHA-256"], store.Find("app", "Alice")!.Mechanisms);
        Assert.Empty(store.Find("$external", "CN=client,O=Test")!.Mechanisms);
        Assert.True(store.Remove("app", "Alice"));
        Assert.Null(store.Find("app", "Alice"));
    }

    [Fact]
    public void A_non_SCRAM_mechanism_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ScramUserCredential.Create("PLAIN", "u", "p"));
    }

    [Fact]
    public void Nothing_secret_shows_in_ToString()
    {
        var user = new TestUserStore().AddScramUser("admin", "u", "hunter2-password");

        var text = user.ToString() + string.Join(",", user.ScramCredentials.Values);

        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(user.ScramCredentials["SCRAM-SHA-1"].StoredKey.Span), text, StringComparison.Ordinal);
    }
}
