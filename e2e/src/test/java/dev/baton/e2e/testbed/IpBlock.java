package dev.baton.e2e.testbed;

/**
  * nftables rules that cut a node off every IP network while its links stay up. The table is
  * created empty and deleted before it is written, in one nft transaction, so applying either
  * script twice is harmless.
  */
final class IpBlock {

    static final String TABLE = "baton_testbed_block";

    static final String BLOCK_RULES = """
            table inet %1$s {}
            delete table inet %1$s
            table inet %1$s {
                chain in {
                    type filter hook input priority -300; policy accept;
                    iif "lo" accept
                    drop
                }
                chain out {
                    type filter hook output priority -300; policy accept;
                    oif "lo" accept
                    drop
                }
            }
            """.formatted(TABLE);

    static final String UNBLOCK_RULES = """
            table inet %1$s {}
            delete table inet %1$s
            """.formatted(TABLE);

    private IpBlock() {}
}
