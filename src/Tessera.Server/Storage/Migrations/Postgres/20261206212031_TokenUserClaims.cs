using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tessera.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TokenUserClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "UserClaims",
                table: "OpaqueTokens",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TokenClaims",
                table: "ApiResources",
                type: "character varying(1200)",
                maxLength: 1200,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "UserClaims",
                table: "OpaqueTokens");

            migrationBuilder.DropColumn(
                name: "TokenClaims",
                table: "ApiResources");
        }
    }
}
