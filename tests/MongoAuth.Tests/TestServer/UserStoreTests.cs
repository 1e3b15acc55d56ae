using MongoAuth.TestServer.Authentication;
using MongoAuth.TestServer.Users;

namespace MongoAuth.Tests.TestServer;

public sealed class UserStoreTests
{
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
        Assert.Throws<ArgumentException>(() => new TestUserStore().AddScramUser("admin", "u", "p", mechanisms: ["PLAIN"]));
    }

    [Fact]
    public void The_SCRAM_lookup_finds_only_stored_mechanisms()
    {
        var store = new TestUserStore();
        store.AddScramUser("admin", "old", "p", [new GrantedRole("read", "test")], [ScramMechanismNames.Sha1]);

        var account = store.FindScramAccount("admin", "old", ScramMechanismNames.Sha1);

        Assert.NotNull(account);
        Assert.Equal(new AuthenticatedUser("old", "admin", [new GrantedRole("read", "test")]).User, account.User.User);
        Assert.Equal("read", Assert.Single(account.User.Roles).Role);
        Assert.Null(store.FindScramAccount("admin", "old", ScramMechanismNames.Sha256));
        Assert.Null(store.FindScramAccount("other", "old", ScramMechanismNames.Sha1));
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
