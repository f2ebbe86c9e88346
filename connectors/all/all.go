// Package all registers every platform connector; import it for its side
// effect, as main and the window tests do.
package all

import (
	_ "storelink/connectors/magento2"    // Magento 2 REST (OAuth 1.0a, tokens)
	_ "storelink/connectors/prestashop"  // PrestaShop webservice
	_ "storelink/connectors/shopify"     // Shopify GraphQL Admin API (access token, client credentials)
	_ "storelink/connectors/upgates"     // Upgates API v2
	_ "storelink/connectors/woocommerce" // WooCommerce REST API (Basic, OAuth 1.0a)
)
